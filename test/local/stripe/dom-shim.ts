/**
 * Just enough DOM to run the Stripe.js stand-in script in Node: elements with attributes,
 * children, text, event listeners, focus, and `querySelector` for `#id`, `tag`, `[attr]` and
 * `[attr="value"]` (optionally after a tag name). Real browsers run it in the portal's tests.
 */
import { runInNewContext } from 'node:vm';

type Listener = (event: ShimEvent) => void;

export interface ShimEvent {
  type: string;
  key?: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export class ShimElement {
  readonly attributes = new Map<string, string>();
  readonly children: ShimElement[] = [];
  parentNode: ShimElement | null = null;
  checked = false;
  private text = '';
  private readonly listeners = new Map<string, Listener[]>();

  constructor(
    readonly tagName: string,
    private readonly doc: ShimDocument,
  ) {}

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  get id(): string {
    return this.getAttribute('id') ?? '';
  }

  get value(): string {
    return this.getAttribute('value') ?? '';
  }

  get textContent(): string {
    return this.text + this.children.map((c) => c.textContent).join('');
  }

  set textContent(value: string) {
    this.text = value;
    this.children.length = 0;
  }

  appendChild(child: ShimElement): ShimElement {
    child.parentNode?.removeChild(child);
    child.parentNode = this;
    this.children.push(child);
    return child;
  }

  removeChild(child: ShimElement): ShimElement {
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    child.parentNode = null;
    return child;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  dispatch(type: string, init: { key?: string } = {}): ShimEvent {
    const event: ShimEvent = {
      type,
      ...init,
      defaultPrevented: false,
      preventDefault() {
        event.defaultPrevented = true;
      },
    };
    // Keyboard events bubble to ancestors (the dialog listens for Tab and Escape).
    const path = [this as ShimElement];
    if (type === 'keydown') for (let up = this.parentNode; up; up = up.parentNode) path.push(up);
    for (const node of path) for (const listener of node.listeners.get(type) ?? []) listener(event);
    return event;
  }

  /** A user choosing this radio button. */
  choose(): void {
    this.checked = true;
    this.dispatch('change');
  }

  click(): void {
    this.dispatch('click');
  }

  focus(): void {
    const previous = this.doc.activeElement;
    if (previous === this) return;
    this.doc.activeElement = this;
    previous?.dispatch('blur');
    this.dispatch('focus');
  }

  querySelectorAll(selector: string): ShimElement[] {
    const match = matcher(selector);
    const found: ShimElement[] = [];
    const walk = (node: ShimElement) => {
      for (const child of node.children) {
        if (match(child)) found.push(child);
        walk(child);
      }
    };
    walk(this);
    return found;
  }

  querySelector(selector: string): ShimElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

function matcher(selector: string): (el: ShimElement) => boolean {
  if (selector.startsWith('#')) return (el) => el.id === selector.slice(1);
  const m = /^([a-z0-9]*)(?:\[([\w-]+)(?:="([^"]*)")?\])?$/i.exec(selector);
  if (!m) throw new Error(`selector not supported by the DOM shim: ${selector}`);
  const [, tag, attr, value] = m;
  return (el) =>
    (!tag || el.tagName === tag.toLowerCase()) && (!attr || (value === undefined ? el.attributes.has(attr) : el.getAttribute(attr) === value));
}

export class ShimDocument {
  activeElement: ShimElement | null = null;
  readonly documentElement: ShimElement;
  readonly body: ShimElement;

  constructor() {
    this.documentElement = new ShimElement('html', this);
    this.body = this.documentElement.appendChild(new ShimElement('body', this));
  }

  createElement(tag: string): ShimElement {
    return new ShimElement(tag.toLowerCase(), this);
  }

  querySelector(selector: string): ShimElement | null {
    return this.documentElement.querySelector(selector);
  }

  querySelectorAll(selector: string): ShimElement[] {
    return this.documentElement.querySelectorAll(selector);
  }
}

export interface ShimWindow {
  document: ShimDocument;
  /** Navigations the script asked for (`location.assign`). */
  navigations: string[];
  // The script's global, untyped on purpose: tests call it as the portal would.
  Stripe: StripeConstructor;
}

export type StripeConstructor = (key: string) => StripeLike;

export interface StripeLike {
  elements(options: { clientSecret?: string }): ElementsLike;
  confirmSetup(args: { elements: ElementsLike; redirect?: 'if_required' | 'always'; confirmParams?: { return_url?: string } }): Promise<SetupResult>;
  confirmCardSetup(clientSecret: string, data: { payment_method: string | { card: ElementLike } }): Promise<SetupResult>;
  retrieveSetupIntent(clientSecret: string): Promise<SetupResult>;
  confirmCardPayment(clientSecret: string, data?: { payment_method?: string }): Promise<PaymentResult>;
  handleNextAction(args: { clientSecret: string }): Promise<PaymentResult>;
}

export interface PaymentResult {
  paymentIntent?: { id: string; object: string; status: string };
  error?: StripeJsError;
}

export interface ElementsLike {
  create(type: string): ElementLike;
  getElement(type: string): ElementLike | null;
  submit(): Promise<{ error?: StripeJsError }>;
}

export interface ElementLike {
  mount(target: string | ShimElement): ElementLike;
  unmount(): ElementLike;
  destroy(): void;
  on(event: string, cb: (payload: Record<string, unknown>) => void): ElementLike;
  clear(): void;
}

export interface StripeJsError {
  type: string;
  code?: string;
  message: string;
  decline_code?: string;
}

export interface SetupResult {
  setupIntent?: { id: string; status: string; payment_method: string | null };
  error?: StripeJsError;
}

/** Runs the script's text in a fresh context with this shim as `window`. */
export function loadStripeJs(source: string, origin = 'http://127.0.0.1:3000/my/billing'): ShimWindow {
  const document = new ShimDocument();
  const navigations: string[] = [];
  const window = { document, navigations } as unknown as ShimWindow;
  const location = { href: origin, assign: (to: string) => navigations.push(to) };
  runInNewContext(source, { window, document, location, fetch, URL, URLSearchParams, Promise, console });
  return window;
}
