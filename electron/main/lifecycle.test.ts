/**
 * The app's stop order and single instance: closing the window or quitting stops the station before
 * the app quits (once, however many times the operator clicks), a hung stop does not hang the exit,
 * and a second start focuses the running window instead of starting a second station.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow } from './testing/electron-mock';
import { claimSingleInstance, setupStopOrder } from './lifecycle';

vi.mock('electron', () => import('./testing/electron-mock'));

function closeEvent(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

beforeEach(() => {
  app.removeAllListeners();
  app.quits = 0;
  app.lock = true;
});

describe('stop order', () => {
  it('stops the station first when the window closes, then quits, once', async () => {
    const order: string[] = [];
    let finish!: () => void;
    const win = new BrowserWindow();
    setupStopOrder(app as never, win as never, () => {
      order.push('station.stop');
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = closeEvent();
    win.emit('close', first);
    expect(first.prevented).toBe(true);
    const again = closeEvent();
    win.emit('close', again);
    app.emit('before-quit', closeEvent());
    expect(order).toEqual(['station.stop']);
    expect(app.quits).toBe(0);
    finish();
    await vi.waitFor(() => expect(app.quits).toBe(1));
    // The quit that follows goes through: the window may close now.
    const last = closeEvent();
    win.emit('close', last);
    app.emit('before-quit', last);
    expect(last.prevented).toBe(false);
    expect(order).toEqual(['station.stop']);
  });

  it('quits after the deadline when the station does not stop', async () => {
    const win = new BrowserWindow();
    setupStopOrder(app as never, win as never, () => new Promise(() => {}), 50);
    app.emit('before-quit', closeEvent());
    await vi.waitFor(() => expect(app.quits).toBe(1));
  });
});

describe('single instance', () => {
  it('focuses the running window when the app is started again', () => {
    const win = new BrowserWindow();
    win.minimized = true;
    expect(claimSingleInstance(app as never, () => win as never)).toBe(true);
    app.emit('second-instance', {}, [], '/');
    expect(win.minimized).toBe(false);
    expect(win.shown).toBe(true);
    expect(win.focused).toBe(true);
  });

  it('tells a second instance to quit', () => {
    app.lock = false;
    expect(claimSingleInstance(app as never, () => null)).toBe(false);
  });
});
