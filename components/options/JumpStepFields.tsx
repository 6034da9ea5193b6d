import type { StepEditorProps } from './draft-types';
import { StepTargetSelect } from './StepTargetSelect';

export function JumpStepFields({ config, onChange, path, stepId }: StepEditorProps<'jump_to'>) {
  return (
    <>
      <StepTargetSelect label="Jump to step" value={config.stepId || undefined} path={`${path}.stepId`} selfId={stepId}
        onChange={(id) => onChange({ stepId: id ?? '' })} />
      <p className="hint">A run may jump back (loop) at most 10 times; jumps forward are not counted.</p>
    </>
  );
}
