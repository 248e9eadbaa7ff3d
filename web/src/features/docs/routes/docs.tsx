/**
 * The API reference: Swagger UI rendering the OpenAPI document the API serves at
 * `/openapi.json`, so the page and the API cannot disagree. Swagger UI (swagger-ui-dist's prebuilt
 * bundle, which carries its own React) and its stylesheet are bundled (no CDN) and only in this
 * route's chunk, loaded when the page is first visited.
 */
import { useEffect, useRef } from 'react';
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './docs.css';
import { Page } from '../../../components/page';

export default function DocsRoute() {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Swagger UI renders with its own React root and offers no unmount, so each mount gets a fresh
    // node, removed when the page goes: nothing is left rendering into this page's tree.
    const domNode = document.createElement('div');
    container.current?.append(domNode);
    SwaggerUI({ domNode, url: '/openapi.json', docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false });
    return () => domNode.remove();
  }, []);

  return (
    <Page
      title="API reference"
      lead={
        <>
          Every operation of the Carpark Tenancy API, from its <a href="/openapi.json">OpenAPI document</a>.
        </>
      }
    >
      <div className="api-reference" ref={container} />
    </Page>
  );
}
