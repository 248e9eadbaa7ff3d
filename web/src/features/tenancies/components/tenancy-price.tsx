/**
 * A tenancy's monthly price and, until it is first charged, the car park's price change that
 * reached it: "£125.00 a month from 5 January 2027 (£100.00 until then)". Shown to the tenant and
 * in the console.
 */
import { longDate, money } from '../../../lib/format';
import type { Tenancy } from '../../../lib/api/types';

export function TenancyPrice({ tenancy }: { tenancy: Pick<Tenancy, 'monthlyAmount' | 'currency' | 'priceChange'> }) {
  const change = tenancy.priceChange;
  const price = `${money(tenancy.monthlyAmount, tenancy.currency)} a month`;
  if (!change || Date.parse(change.from) <= Date.now()) return <>{price}</>;
  return (
    <span data-testid="price-change">
      {price} from {longDate(change.from)}{' '}
      <span className="muted">({money(change.previousAmount, tenancy.currency)} until then)</span>
    </span>
  );
}
