import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { takeInvitationFromAddress } from './invitation-link';
import { SessionProvider } from './session';
import './styles.css';

takeInvitationFromAddress();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
