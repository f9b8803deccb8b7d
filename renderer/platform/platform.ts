import { BRIDGE_GLOBAL, type PlatformBridge } from '../../shared/platform/bridge.ts';
import { createBrowserBridge } from './browser-bridge.ts';

/** The desktop preload exposes the bridge on window; anywhere else the browser one is used. */
export function choosePlatform(): PlatformBridge {
  const exposed = (window as unknown as Record<string, PlatformBridge | undefined>)[BRIDGE_GLOBAL];
  return exposed ?? createBrowserBridge();
}

export const platform: PlatformBridge = choosePlatform();
