/** Entry: pick the transport (Electron preload or browser-mode bridge) and render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { createApi } from './api.ts';
import { App } from './App.tsx';
import './styles.css';

// The page's CSP forbids eval: tell zod not to probe for it.
z.config({ jitless: true });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App {...createApi()} />
    </StrictMode>,
  );
}
