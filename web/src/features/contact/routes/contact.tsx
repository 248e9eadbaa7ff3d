import { useMutation } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { FormError, formValues, SelectField, SubmitButton, TextAreaField, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Notice } from '../../../components/status';
import { api, unwrap } from '../../../lib/api-client';
import { useSession } from '../../../lib/auth';
import { useCarparks } from '../../carparks/api';

export default function ContactPage() {
  const session = useSession();
  const carparks = useCarparks();
  const [params] = useSearchParams();
  const send = useMutation({
    mutationFn: (body: { name: string; email: string; message: string; carparkId?: string; website?: string }) =>
      unwrap(api.POST('/contact', { body })),
  });

  return (
    <Page title="Contact us">
      {send.isSuccess ? (
        <Notice tone="ok">Thank you: your message is on its way. We reply by email, usually within a working day.</Notice>
      ) : (
        <form
          className="card form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const values = formValues(event.currentTarget);
            send.mutate({
              name: values.name ?? '',
              email: values.email ?? '',
              message: values.message ?? '',
              ...(values.carparkId && { carparkId: values.carparkId }),
              ...(values.website && { website: values.website }),
            });
          }}
        >
          <FormError error={send.error} shownFields={['name', 'email', 'message', 'carparkId']} />
          <TextField label="Your name" name="name" autoComplete="name" required defaultValue={session?.user.name} error={send.error} />
          <TextField label="Email" name="email" type="email" autoComplete="email" required defaultValue={session?.user.email} error={send.error} />
          <SelectField label="About a car park (optional)" name="carparkId" defaultValue={params.get('carpark') ?? ''} error={send.error}>
            <option value="">General question</option>
            {carparks.data?.items.map((carpark) => (
              <option key={carpark.carparkId} value={carpark.carparkId}>
                {carpark.name}
              </option>
            ))}
          </SelectField>
          <TextAreaField label="Message" name="message" rows={6} required error={send.error} />
          {/* Left empty by people; bots fill it in. */}
          <div className="trap" aria-hidden="true">
            <label htmlFor="contact-website">Website</label>
            <input id="contact-website" name="website" tabIndex={-1} autoComplete="off" />
          </div>
          <SubmitButton pending={send.isPending} pendingText="Sending…">
            Send message
          </SubmitButton>
        </form>
      )}
    </Page>
  );
}
