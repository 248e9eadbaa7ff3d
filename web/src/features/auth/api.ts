import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';

import { writeSession } from '../../lib/session';

type SignUpBody = Parameters<typeof signUp>[0];

function signUp(body: { email: string; password: string; name: string; phone?: string; accountType: 'individual' | 'corporate' }) {
  return unwrap(api.POST('/users', { body }));
}

export function useSignUp() {
  return useMutation({ mutationFn: (body: SignUpBody) => signUp(body) });
}

export function useLogIn() {
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/auth/login', { body })),
    onSuccess: ({ token, expiresAt, user }) => writeSession({ token, expiresAt, user }),
  });
}

export function useForgotPassword() {
  return useMutation({ mutationFn: (body: { email: string }) => unwrap(api.POST('/auth/forgot-password', { body })) });
}

export function useResetPassword() {
  return useMutation({ mutationFn: (body: { token: string; password: string }) => unwrap(api.POST('/auth/reset-password', { body })) });
}
