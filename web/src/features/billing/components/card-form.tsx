import type { StripeElements, StripePaymentElement } from '@stripe/stripe-js';
import { useEffect, useId, useRef, useState } from 'react';
import { FormError } from '../../../components/form';
import { Loading } from '../../../components/status';
import { getStripe } from '../../../lib/stripe';
import { createSetupIntent, useSetDefaultCard } from '../api';

/**
 * Card entry with Stripe's Payment Element: a SetupIntent from the API (for off-session use, so
 * any card authentication happens here, once), confirmed in the browser by Stripe.js, then the
 * resulting payment method becomes the card on file.
 */
export function CardForm({ onSaved, submitLabel = 'Save card' }: { onSaved?: () => void; submitLabel?: string }) {
  const mountRef = useRef<HTMLDivElement>(null);
  const elementsRef = useRef<StripeElements | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'confirming' | 'failed'>('loading');
  const [message, setMessage] = useState<string | null>(null);
  const setDefaultCard = useSetDefaultCard();
  const labelId = useId();

  useEffect(() => {
    let element: StripePaymentElement | undefined;
    let cancelled = false;
    (async () => {
      const [stripe, intent] = await Promise.all([getStripe(), createSetupIntent()]);
      if (cancelled || !mountRef.current) return;
      const elements = stripe.elements({ clientSecret: intent.clientSecret });
      elementsRef.current = elements;
      element = elements.create('payment');
      element.on('ready', () => !cancelled && setState('ready'));
      element.mount(mountRef.current);
    })().catch((error: unknown) => {
      if (cancelled) return;
      setState('failed');
      setMessage(error instanceof Error ? error.message : 'The card form could not be loaded.');
    });
    return () => {
      cancelled = true;
      element?.destroy();
    };
  }, []);

  async function submit() {
    const elements = elementsRef.current;
    if (!elements) return;
    setState('confirming');
    setMessage(null);
    const stripe = await getStripe();
    const result = await stripe.confirmSetup({ elements, redirect: 'if_required' });
    if (result.error) {
      setState('ready');
      setMessage(result.error.message ?? 'The card could not be set up.');
      return;
    }
    const paymentMethod = result.setupIntent.payment_method;
    const paymentMethodId = typeof paymentMethod === 'string' ? paymentMethod : paymentMethod?.id;
    if (!paymentMethodId) {
      setState('ready');
      setMessage('The card could not be set up.');
      return;
    }
    setDefaultCard.mutate(paymentMethodId, {
      onSuccess: () => onSaved?.(),
      onSettled: () => setState('ready'),
    });
  }

  return (
    <form
      className="card-form"
      aria-labelledby={labelId}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={labelId}>Card details</h3>
      {state === 'loading' && <Loading label="Loading the secure card form…" />}
      <div ref={mountRef} className="payment-element" />
      {message && (
        <div className="alert alert-error" role="alert">
          <p>{message}</p>
        </div>
      )}
      <FormError error={setDefaultCard.error} />
      <button type="submit" disabled={state !== 'ready' || setDefaultCard.isPending} aria-busy={state === 'confirming' || undefined}>
        {state === 'confirming' || setDefaultCard.isPending ? 'Saving card…' : submitLabel}
      </button>
    </form>
  );
}
