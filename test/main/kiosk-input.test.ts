import { describe, expect, it } from 'vitest';
import { inputBlocked, type KeyInput } from '../../main/kiosk-input.ts';

/** "Ctrl+Shift+I" → the input Electron reports for it. */
function press(combo: string): KeyInput {
  const parts = combo.split('+');
  const key = parts.pop()!;
  const has = (m: string) => parts.includes(m);
  return { type: 'keyDown', key: key === 'Space' ? ' ' : key, control: has('Ctrl'), shift: has('Shift'), alt: has('Alt'), meta: has('Meta') };
}

describe('the input filter, in kiosk mode', () => {
  it.each([
    'Alt+F4', 'Ctrl+F4', 'F5', 'Ctrl+F5', 'Shift+F5', 'Ctrl+r', 'Ctrl+R', 'Ctrl+Shift+R', 'F11', 'F12', 'F1', 'F7', 'Shift+F10',
    'Ctrl+Shift+I', 'Ctrl+Shift+J', 'Ctrl+Shift+C', 'Meta+Alt+i', 'Ctrl+w', 'Ctrl+Shift+W', 'Ctrl+q', 'Meta+q', 'Ctrl+n', 'Ctrl+Shift+N',
    'Ctrl+t', 'Ctrl+Shift+T', 'Ctrl+p', 'Ctrl+o', 'Ctrl+s', 'Ctrl+u', 'Ctrl+h', 'Ctrl+j', 'Ctrl+l', 'Ctrl+1', 'Ctrl+9',
    'Alt+ArrowLeft', 'Alt+ArrowRight', 'Alt+Home', 'Alt+Space', 'BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome',
    'LaunchMail', 'ContextMenu', 'Meta+Tab',
  ])('blocks %s', (combo) => {
    expect(inputBlocked(press(combo), { kiosk: true })).toBe(true);
  });

  it.each([
    'a', 'A', 'Shift+A', 'і', 'ә', '1', 'Space', 'Enter', 'Tab', 'Shift+Tab', 'Escape', 'Backspace', 'Delete', 'ArrowLeft', 'Home',
    'Ctrl+a', 'Ctrl+c', 'Ctrl+v', 'Ctrl+x', 'Ctrl+z', 'Ctrl+Shift+Z', 'Ctrl+y', 'Meta+c', 'Ctrl+ArrowLeft', 'Ctrl+Backspace',
    'Ctrl+Alt+ә', 'Ctrl+Alt+@',
  ])('lets %s through (typing, editing, moving the focus)', (combo) => {
    expect(inputBlocked(press(combo), { kiosk: true })).toBe(false);
  });
});

describe('the input filter, in an ordinary window', () => {
  it.each(['F5', 'Ctrl+r', 'Ctrl+Shift+R', 'Meta+r', 'Alt+ArrowLeft', 'BrowserBack', 'BrowserRefresh'])('blocks reload and history navigation: %s', (combo) => {
    expect(inputBlocked(press(combo), { kiosk: false })).toBe(true);
  });

  it.each(['F11', 'Ctrl+w', 'Ctrl+p', 'Ctrl+c', 'a'])('lets the rest through: %s', (combo) => {
    expect(inputBlocked(press(combo), { kiosk: false })).toBe(false);
  });
});
