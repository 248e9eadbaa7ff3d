import { Link } from 'react-router';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Notice } from '../../../components/status';
import { useForgotPassword } from '../api';

export default function ForgotPasswordPage() {
  const forgot = useForgotPassword();
  return (
    <Page title="Reset your password">
      {forgot.isSuccess ? (
        <Notice tone="ok">
          If an account uses that email, we have sent it a link to choose a new password. The link works for one hour.{' '}
          <Link to="/login">Back to log in</Link>
        </Notice>
      ) : (
        <form
          className="card form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            forgot.mutate({ email: formValues(event.currentTarget).email ?? '' });
          }}
        >
          <FormError error={forgot.error} shownFields={['email']} />
          <TextField label="Email" name="email" type="email" autoComplete="email" required error={forgot.error} />
          <SubmitButton pending={forgot.isPending} pendingText="Sending…">
            Send me a reset link
          </SubmitButton>
        </form>
      )}
    </Page>
  );
}
