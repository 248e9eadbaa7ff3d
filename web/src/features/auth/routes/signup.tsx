import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { useSignUp } from '../api';

export default function SignUpPage() {
  const signUp = useSignUp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');

  return (
    <Page title="Create an account">
      <form
        className="card form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const values = formValues(event.currentTarget);
          signUp.mutate(
            {
              email: values.email ?? '',
              password: values.password ?? '',
              name: values.name ?? '',
              ...(values.phone && { phone: values.phone }),
              accountType: values.accountType === 'corporate' ? 'corporate' : 'individual',
            },
            {
              onSuccess: (user) => {
                const query = new URLSearchParams({ created: '1', email: user.email, ...(next && { next }) });
                void navigate(`/login?${query}`);
              },
            },
          );
        }}
      >
        <FormError error={signUp.error} shownFields={['name', 'email', 'password', 'phone', 'accountType']} />
        <TextField label="Full name" name="name" autoComplete="name" required error={signUp.error} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={signUp.error} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          error={signUp.error}
          hint="At least 10 characters, mixing letters with digits or symbols."
        />
        <TextField label="Phone (optional)" name="phone" type="tel" autoComplete="tel" error={signUp.error} />
        <fieldset className="field">
          <legend>Account type</legend>
          <label className="choice">
            <input type="radio" name="accountType" value="individual" defaultChecked /> Individual
          </label>
          <label className="choice">
            <input type="radio" name="accountType" value="corporate" /> Company (invoiced)
          </label>
        </fieldset>
        <SubmitButton pending={signUp.isPending} pendingText="Creating your account…">
          Create account
        </SubmitButton>
        <p>
          Already have an account? <Link to={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Log in</Link>
        </p>
      </form>
    </Page>
  );
}
