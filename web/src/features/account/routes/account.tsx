import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Notice } from '../../../components/status';
import { api, unwrap } from '../../../lib/api-client';
import { canUseConsole, RequireSession, useLogOut, useSession } from '../../../lib/auth';
import { readSession, writeSession, type User } from '../../../lib/session';

export default function AccountRoute() {
  return (
    <RequireSession>
      <AccountPage />
    </RequireSession>
  );
}

type UpdateUser = { name?: string; phone?: string | null; email?: string; password?: string; currentPassword?: string };

function useUpdateUser(userId: string) {
  return useMutation({
    mutationFn: (body: UpdateUser) => unwrap(api.PATCH('/users/{userId}', { params: { path: { userId } }, body })),
    onSuccess: (user: User) => {
      const session = readSession();
      if (session) writeSession({ ...session, user });
    },
  });
}

function AccountPage() {
  const session = useSession()!;
  const user = session.user;
  const profile = useUpdateUser(user.userId);
  const password = useUpdateUser(user.userId);
  const logOut = useLogOut();
  const navigate = useNavigate();

  return (
    <Page title="Your account">
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        {profile.isSuccess && <Notice tone="ok">Your profile is saved.</Notice>}
        <form
          className="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const values = formValues(event.currentTarget);
            profile.mutate({
              name: values.name ?? '',
              email: values.email ?? '',
              phone: values.phone ?? null,
            });
          }}
        >
          <FormError error={profile.error} shownFields={['name', 'email', 'phone']} />
          <TextField label="Full name" name="name" autoComplete="name" defaultValue={user.name} required error={profile.error} />
          <TextField label="Email" name="email" type="email" autoComplete="email" defaultValue={user.email} required error={profile.error} />
          <TextField label="Phone (optional)" name="phone" type="tel" autoComplete="tel" defaultValue={user.phone ?? ''} error={profile.error} />
          <p className="muted">Account type: {user.accountType === 'corporate' ? 'Company' : 'Individual'}</p>
          <SubmitButton pending={profile.isPending} pendingText="Saving…">
            Save profile
          </SubmitButton>
        </form>
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        {password.isSuccess && <Notice tone="ok">Your password is changed.</Notice>}
        <form
          className="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const values = formValues(form);
            password.mutate(
              { currentPassword: values.currentPassword ?? '', password: values.password ?? '' },
              { onSuccess: () => form.reset() },
            );
          }}
        >
          <FormError error={password.error} shownFields={['currentPassword', 'password']} />
          <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={password.error} />
          <TextField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            error={password.error}
            hint="At least 10 characters, mixing letters with digits or symbols."
          />
          <SubmitButton pending={password.isPending} pendingText="Saving…">
            Change password
          </SubmitButton>
        </form>
      </section>

      {!canUseConsole(session) && (
        <section className="card" aria-labelledby="operator-heading">
          <h2 id="operator-heading">Run a car park?</h2>
          <p>
            List your car park and let its spaces by the month: <Link to="/become-operator">become an operator</Link>.
          </p>
        </section>
      )}

      <section className="card" aria-labelledby="logout-heading">
        <h2 id="logout-heading">Log out</h2>
        <p>Logging out forgets your session in this browser tab.</p>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            logOut();
            void navigate('/login?loggedOut=1');
          }}
        >
          Log out
        </button>
      </section>
    </Page>
  );
}
