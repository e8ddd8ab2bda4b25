import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { initI18n } from './i18n/i18n';
import './styles.css';

initI18n();

const root = document.getElementById('root');
if (!root) throw new Error("index.html must contain an element with id 'root'");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
