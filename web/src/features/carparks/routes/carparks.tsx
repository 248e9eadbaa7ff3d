import { Link } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { money, vehicleTypeName } from '../../../lib/format';
import { pricedTypes, useCarparks, type Carpark } from '../api';

export function CarparksPage() {
  const carparks = useCarparks();
  return (
    <Page title="Monthly parking, sorted" lead="Pick a car park, register your plate, pay by card. The barrier knows you.">
      <section aria-labelledby="carparks-heading">
        <h2 id="carparks-heading">Car parks</h2>
        {carparks.isPending ? (
          <Loading label="Loading car parks…" />
        ) : carparks.isError ? (
          <QueryError error={carparks.error} retry={() => void carparks.refetch()} />
        ) : carparks.data.items.length === 0 ? (
          <p className="muted">No car parks yet.</p>
        ) : (
          <ul className="card-list" data-testid="carpark-list">
            {carparks.data.items.map((carpark) => (
              <li key={carpark.carparkId}>
                <CarparkCard carpark={carpark} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}

function CarparkCard({ carpark }: { carpark: Carpark }) {
  const { address } = carpark;
  const types = pricedTypes(carpark);
  const anyFree = types.some((t) => t.free > 0);
  return (
    <article className="card" aria-labelledby={`${carpark.carparkId}-name`}>
      <h3 id={`${carpark.carparkId}-name`}>{carpark.name}</h3>
      <p className="muted">{[address.line1, address.line2, address.city, address.postcode].filter(Boolean).join(', ')}</p>
      <table className="prices">
        <caption className="visually-hidden">Monthly prices at {carpark.name}</caption>
        <thead>
          <tr>
            <th scope="col">Vehicle</th>
            <th scope="col">Per month</th>
            <th scope="col">Free spaces</th>
          </tr>
        </thead>
        <tbody>
          {types.map(({ type, price, free }) => (
            <tr key={type}>
              <th scope="row">{vehicleTypeName(type)}</th>
              <td>{money(price, carpark.currency)}</td>
              <td>{free === 0 ? 'Full' : free}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {anyFree ? (
        <Link className="button" to={`/rent/${carpark.carparkId}`} aria-label={`Rent a space at ${carpark.name}`}>
          Rent a space
        </Link>
      ) : (
        <p className="muted">No free spaces right now.</p>
      )}
    </article>
  );
}
