import { createEffect, onCleanup, type Component, type JSX } from 'solid-js';

/**
 * A modal built on the native `<dialog>`: `showModal()` makes the rest of the page inert (so
 * focus stays inside), Escape closes it, and focus returns to where it was. Clicking the
 * backdrop closes it too.
 */
export const Dialog: Component<{
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  class?: string;
  testid?: string;
  children: JSX.Element;
}> = (props) => {
  let el!: HTMLDialogElement;
  let opener: Element | null = null;
  createEffect(() => {
    if (props.open && !el.open) {
      opener = document.activeElement;
      el.showModal();
    } else if (!props.open && el.open) {
      el.close();
    }
  });
  onCleanup(() => el?.open && el.close());
  const onClose = () => {
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    opener = null;
    if (props.open) props.onClose();
  };
  return (
    <dialog
      ref={el}
      class={`dialog ${props.class ?? ''}`}
      aria-labelledby={props.labelledBy}
      data-testid={props.testid}
      onClose={onClose}
      onClick={(e) => e.target === el && el.close()}
    >
      {props.children}
    </dialog>
  );
};
