// Vite bundles CSS imported for its side effect; TypeScript only needs to know such modules exist.
declare module '*.css';
