/**
 * The part of swagger-ui-dist this portal uses; the package ships no type declarations.
 * `swagger-ui-es-bundle.js` is Swagger UI prebuilt with its dependencies (React 18 among them);
 * its export renders into `domNode` and returns Swagger UI's plugin system, which has no unmount.
 */
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  export interface SwaggerUIOptions {
    domNode: HTMLElement;
    url?: string;
    docExpansion?: 'list' | 'full' | 'none';
    defaultModelsExpandDepth?: number;
    tryItOutEnabled?: boolean;
  }

  export default function SwaggerUI(options: SwaggerUIOptions): unknown;
}
