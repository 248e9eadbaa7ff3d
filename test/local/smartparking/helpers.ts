/** Starting a simulator and a client pointed at it, for the SmartParking tests. */
import { createSmartParkingClient, type SmartParkingClientOptions } from '../../../functions/adapters/smartparking/client';
import type { RegisterPlate } from '../../../functions/domain/barrier';
import { startSmartParkingSimulator, type SmartParkingSimulatorOptions } from '../../../local/smartparking/simulator';

export const API_KEY = 'test-smartparking-key';
export const SITE = 'SP-TEST-1';

export function startSimulator(options: Partial<SmartParkingSimulatorOptions> = {}) {
  return startSmartParkingSimulator({ apiKey: API_KEY, sites: [SITE], port: 0, ...options });
}

export function clientFor(url: string, options: Partial<SmartParkingClientOptions> = {}) {
  return createSmartParkingClient({ baseUrl: url, apiKey: async () => API_KEY, ...options });
}

export function registration(overrides: Partial<RegisterPlate> = {}): RegisterPlate {
  return {
    siteId: SITE,
    plate: 'AB12CDE',
    validFrom: '2025-01-01T00:00:00.000Z',
    validTo: null,
    reference: 'tenancy-1',
    ...overrides,
  };
}

/** Runs `act` and returns what it threw, failing the test if it did not throw. */
export async function caught(act: () => Promise<unknown>): Promise<unknown> {
  try {
    await act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
