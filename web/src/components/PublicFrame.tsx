import type { ReactNode } from 'react';

/** The frame of the signed-out screens: the name and one card. */
export function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <div className="public">
      <p className="brand public-brand">Haven</p>
      <main id="main" tabIndex={-1} className="card public-card">
        {children}
      </main>
    </div>
  );
}
