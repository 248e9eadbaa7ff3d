/**
 * The portal's pages. The car park list (the landing page) is in the first chunk; every other
 * page is its own chunk, loaded when first visited.
 */
import { createBrowserRouter, type RouteObject } from 'react-router';
import { CarparksPage } from '../features/carparks/routes/carparks';
import { Layout, RouteError } from './layout';

type PageModule = Promise<{ default: React.ComponentType }>;
const page = (load: () => PageModule): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load())[name] }),
});

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <CarparksPage /> },
      { path: '/signup', ...page(() => import('../features/auth/routes/signup')) },
      { path: '/login', ...page(() => import('../features/auth/routes/login')) },
      { path: '/forgot-password', ...page(() => import('../features/auth/routes/forgot-password')) },
      { path: '/reset-password', ...page(() => import('../features/auth/routes/reset-password')) },
      { path: '/rent/:carparkId', ...page(() => import('../features/tenancies/routes/rent')) },
      { path: '/my/tenancies', ...page(() => import('../features/tenancies/routes/tenancies')) },
      { path: '/my/tenancies/:tenancyId', ...page(() => import('../features/tenancies/routes/tenancy')) },
      { path: '/my/waitlist', ...page(() => import('../features/waitlist/routes/waitlist')) },
      { path: '/my/offers/:offerId', ...page(() => import('../features/waitlist/routes/offer')) },
      { path: '/my/billing', ...page(() => import('../features/billing/routes/billing')) },
      { path: '/my/billing/authenticate/:invoiceId', ...page(() => import('../features/billing/routes/authenticate')) },
      { path: '/my/account', ...page(() => import('../features/account/routes/account')) },
      { path: '/become-operator', ...page(() => import('../features/onboarding/routes/become-operator')) },
      { path: '/contact-us', ...page(() => import('../features/contact/routes/contact')) },
      { path: '/console', ...page(() => import('../features/console/routes/home')) },
      { path: '/console/dashboard', ...page(() => import('../features/console/routes/dashboard')) },
      { path: '/console/carparks', ...page(() => import('../features/console/routes/carparks')) },
      { path: '/console/carparks/new', ...named(() => import('../features/console/routes/carpark-form'), 'NewCarparkRoute') },
      { path: '/console/carparks/:carparkId/edit', ...named(() => import('../features/console/routes/carpark-form'), 'EditCarparkRoute') },
      { path: '/console/carparks/:carparkId/waitlist', ...page(() => import('../features/console/routes/waitlist')) },
      { path: '/console/tenancies', ...page(() => import('../features/console/routes/tenancies')) },
      { path: '/console/tenancies/:tenancyId', ...page(() => import('../features/console/routes/tenancy')) },
      { path: '/console/plates', ...page(() => import('../features/console/routes/plates')) },
      { path: '/console/platform', ...page(() => import('../features/console/routes/platform')) },
      { path: '/console/operators', ...page(() => import('../features/console/routes/operators')) },
      { path: '/console/applications', ...page(() => import('../features/console/routes/applications')) },
      { path: '/console/users', ...page(() => import('../features/console/routes/users')) },
      { path: '/console/users/:userId/xero-contact', ...page(() => import('../features/console/routes/xero-contact')) },
      { path: '/docs', ...page(() => import('../features/docs/routes/docs')) },
      { path: '*', ...page(() => import('./not-found')) },
    ],
  },
];

export const router = createBrowserRouter(routes);
