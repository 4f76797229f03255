import './seat.css';
import { ClientProvider } from '../client/context.tsx';
import { App } from '../app/App.tsx';
import { LockScreen } from './LockScreen.tsx';
import { useSeat } from './SeatContext.tsx';
import { FirstAdminForm, SignInForm } from './SignIn.tsx';

/**
 * What this seat shows: the first-run form, sign-in, or the review seat. A locked seat keeps the
 * seat mounted (the open view comes back after unlocking) but inert and hidden under the lock.
 */
export function SeatGate() {
  const seat = useSeat();
  const { state } = seat;
  if (!state.person) {
    return <div className="seat-page">{state.needsFirstAdmin ? <FirstAdminForm /> : <SignInForm />}</div>;
  }
  return (
    <ClientProvider client={seat.client}>
      <div className="seat-app" inert={state.locked} aria-hidden={state.locked || undefined} data-locked={state.locked}>
        <App key={state.person.id} />
      </div>
      {state.locked && <LockScreen />}
    </ClientProvider>
  );
}
