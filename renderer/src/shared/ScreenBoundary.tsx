/**
 * A screen that fails while drawing (a bug, or data main sent in a shape the screen did not expect)
 * shows the translated INTERNAL_ERROR and "Try again" in its own place; the header, the sections
 * and the session stay, so the person can go elsewhere and nothing else is lost. Without it React
 * unmounts the whole window and leaves a blank page. A class: React catches errors only there.
 */
import { Component, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n/context.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';

interface ScreenBoundaryProps {
  children: ReactNode;
}

export class ScreenBoundary extends Component<ScreenBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    // For the developer's console only; the person reads the translated message.
    console.error('joldama: a screen failed to draw', error);
  }

  override render(): ReactNode {
    return this.state.failed ? (
      <ScreenFailed onRetry={() => this.setState({ failed: false })} />
    ) : (
      this.props.children
    );
  }
}

/** "Try again" draws the screen afresh from new answers: the cached ones may be what it failed on. */
function ScreenFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  return (
    <div className="query-error screen-failed">
      <ErrorMessage error={describeError({ code: 'INTERNAL_ERROR' }, t)} />
      <button type="button" className="button secondary" onClick={() => void client.resetQueries().then(onRetry)}>
        {t.nav.retry}
      </button>
    </div>
  );
}
