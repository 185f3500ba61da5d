/** The environment variable through which global setup hands the endpoint to test files (and their workers). */
export const ENDPOINT_VARIABLE = "INV_EMULATOR_ENDPOINT";

/** The endpoint of the emulator the global setup started. */
export function emulatorEndpoint(): string {
  const endpoint = process.env[ENDPOINT_VARIABLE];
  if (!endpoint) {
    throw new Error(
      `${ENDPOINT_VARIABLE} is not set: add @inv-emulator/testing's global setup to your test runner config`,
    );
  }
  return endpoint;
}
