// The rule behind a sentence the screen says on its own (not main's refusal, whose rule ErrorNote's "Why?"
// shows): kept out of the sentence, small and muted after it, so a person reads the sentence and whoever asks
// why finds the id to look up in docs/rules.md.

export function Rule({ id }: { id: string }) {
  return (
    <small className="rule" title={`Decided by rule ${id} (docs/rules.md says what it holds)`}>
      Rule {id}
    </small>
  );
}
