/**
 * The `electron` module for tests of main-process code: the Electron binary cannot run on a machine
 * without it, so tests replace the module with `vi.mock('electron', () => import('./testing/electron-mock'))`.
 * Each piece records what the code under test registered (handlers, options, headers) so the test can
 * drive it the way Electron would. safeStorage encrypts for real (AES-GCM, a key per run).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

let nextId = 1;

export class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(url = '') {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    BrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would resolve to, for a message from `sender`/`frame`. */
  async invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null, payload: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: frame }, payload);
  }
}

export const ipcMain = new FakeIpcMain();

class FakeApp extends EventEmitter {
  quits = 0;
  lock = true;
  quit(): void {
    this.quits++;
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
}

export const app = new FakeApp();

type HeadersListener = (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;

export const session = {
  defaultSession: {
    headersListener: null as HeadersListener | null,
    permissionRequest: null as ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
    permissionCheck: null as ((...args: unknown[]) => boolean) | null,
    devicePermission: null as ((...args: unknown[]) => boolean) | null,
    webRequest: {
      onHeadersReceived(listener: HeadersListener) {
        session.defaultSession.headersListener = listener;
      },
    },
    setPermissionRequestHandler(h: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void) {
      session.defaultSession.permissionRequest = h;
    },
    setPermissionCheckHandler(h: (...args: unknown[]) => boolean) {
      session.defaultSession.permissionCheck = h;
    },
    setDevicePermissionHandler(h: (...args: unknown[]) => boolean) {
      session.defaultSession.devicePermission = h;
    },
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: { url: string }) => Promise<Response>) {
    protocol.handlers.set(scheme, handler);
  },
};

export const dialog = {
  /** The file the next save dialog "picks"; null = the operator cancels. */
  nextSavePath: null as string | null,
  async showSaveDialog(..._args: unknown[]) {
    const filePath = dialog.nextSavePath;
    return filePath ? { canceled: false, filePath } : { canceled: true, filePath: '' };
  },
  async showMessageBox() {
    return { response: 0 };
  },
  showErrorBox() {},
};

const KEY = randomBytes(32);

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  isEncryptionAvailable: () => safeStorage.available,
  getSelectedStorageBackend: () => safeStorage.backend,
  encryptString(plain: string): Buffer {
    if (!safeStorage.available) throw new Error('Encryption is not available.');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', KEY, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  },
  decryptString(bytes: Buffer): string {
    const d = createDecipheriv('aes-256-gcm', KEY, bytes.subarray(0, 12));
    d.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([d.update(bytes.subarray(28)), d.final()]).toString('utf8');
  },
};
