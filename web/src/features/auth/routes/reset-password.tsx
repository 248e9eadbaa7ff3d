import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { useResetPassword } from '../api';

export default function ResetPasswordPage() {
  const reset = useResetPassword();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token');

  return (
    <Page title="Choose a new password">
      {!token ? (
        <div className="alert alert-error" role="alert">
          <p>
            This link has no reset token. <Link to="/forgot-password">Ask for a new reset email</Link>.
          </p>
        </div>
      ) : (
        <form
          className="card form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            reset.mutate(
              { token, password: formValues(event.currentTarget).password ?? '' },
              { onSuccess: () => void navigate('/login?reset=1', { replace: true }) },
            );
          }}
        >
          <FormError error={reset.error} shownFields={['password']} />
          <TextField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            error={reset.error}
            hint="At least 10 characters, mixing letters with digits or symbols."
          />
          <SubmitButton pending={reset.isPending} pendingText="Saving…">
            Save password
          </SubmitButton>
          {reset.error ? (
            <p>
              Link expired or already used? <Link to="/forgot-password">Ask for a new one</Link>.
            </p>
          ) : null}
        </form>
      )}
    </Page>
  );
}
