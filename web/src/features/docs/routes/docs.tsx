/**
 * The API reference: Swagger UI rendering the OpenAPI document the API serves at
 * `/openapi.json`, so the page and the API cannot disagree. Swagger UI and its stylesheet are
 * bundled (no CDN) and only in this route's chunk, loaded when the page is first visited.
 */
import SwaggerUI from 'swagger-ui-react';
import 'swagger-ui-react/swagger-ui.css';
import './docs.css';
import { Page } from '../../../components/page';

export default function DocsRoute() {
  return (
    <Page
      title="API reference"
      lead={
        <>
          Every operation of the Carpark Tenancy API, from its <a href="/openapi.json">OpenAPI document</a>.
        </>
      }
    >
      <div className="api-reference">
        <SwaggerUI url="/openapi.json" docExpansion="list" defaultModelsExpandDepth={0} tryItOutEnabled={false} />
      </div>
    </Page>
  );
}
