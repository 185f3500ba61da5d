/** Jest `globalTeardown`: stops the emulator jest-global-setup started (same process). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __INV_EMULATOR__?: { close(): Promise<void> } };
  await holder.__INV_EMULATOR__?.close();
  holder.__INV_EMULATOR__ = undefined;
}
