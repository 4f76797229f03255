/**
 * Gives the memory of large typed arrays back now rather than at the next garbage collection.
 * An import decodes clip after clip; V8 collects their buffers only once enough external memory
 * piled up (tens of MiB), which would make the peak grow with the number of clips although
 * none is kept. Detaching a buffer (ArrayBuffer.prototype.transfer to length 0) frees it at
 * once. Only arrays that own their whole buffer are released (never a view into a pool or a
 * larger buffer), and only where the runtime can (Node 21+; elsewhere the collector does it).
 * The arrays are unusable afterwards: call it on what nothing else holds.
 */
export function releaseBuffers(...arrays: (ArrayBufferView | null | undefined)[]): void {
  for (const a of arrays) {
    if (!a || a.byteOffset !== 0 || !(a.buffer instanceof ArrayBuffer) || a.buffer.byteLength !== a.byteLength || a.byteLength < 64 * 1024) continue;
    (a.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);
  }
}
