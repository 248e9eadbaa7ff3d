import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Notice } from '../../../components/status';
import { ApiError } from '../../../lib/api-client';
import { safeNext } from '../../../lib/auth';
import { useLogIn } from '../api';

export default function LogInPage() {
  const logIn = useLogIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const locked = logIn.error instanceof ApiError && logIn.error.status === 429 ? logIn.error : undefined;

  return (
    <Page title="Log in">
      {params.get('created') && <Notice tone="ok">Your account is ready. Log in to continue.</Notice>}
      {params.get('reset') && <Notice tone="ok">Your password is changed. Log in with the new one.</Notice>}
      {params.get('loggedOut') && <Notice>You are logged out.</Notice>}
      <form
        className="card form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const values = formValues(event.currentTarget);
          logIn.mutate(
            { email: values.email ?? '', password: values.password ?? '' },
            { onSuccess: ({ user }) => void navigate(safeNext(params.get('next'), user.role), { replace: true }) },
          );
        }}
      >
        {locked ? (
          <div className="alert alert-error" role="alert" data-testid="lockout">
            <p>
              <strong>Logging in is paused.</strong> {locked.message}
            </p>
            <p>
              {locked.retryAfterSeconds !== undefined
                ? `For your security, logging in is paused for about ${Math.max(1, Math.ceil(locked.retryAfterSeconds / 60))} minutes. `
                : 'For your security, logging in is paused for a while. '}
              You can <Link to="/forgot-password">reset your password</Link> meanwhile.
            </p>
          </div>
        ) : (
          <FormError error={logIn.error} shownFields={['email', 'password']} />
        )}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={params.get('email') ?? ''}
          error={logIn.error}
        />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={logIn.error} />
        <SubmitButton pending={logIn.isPending} pendingText="Logging in…">
          Log in
        </SubmitButton>
        <p>
          <Link to="/forgot-password">Forgotten your password?</Link> · New here?{' '}
          <Link to={params.get('next') ? `/signup?next=${encodeURIComponent(params.get('next')!)}` : '/signup'}>Create an account</Link>
        </p>
      </form>
    </Page>
  );
}
