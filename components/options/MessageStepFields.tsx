import type { StepEditorProps } from './draft-types';
import { TemplateInput } from './TemplateInput';

/** send_message and add_comment: one text template. */
export function MessageStepFields({ config, onChange, path, index, comment }: StepEditorProps<'add_comment'> & { comment?: boolean }) {
  return (
    <TemplateInput label={comment ? 'Comment' : 'Message'} multiline value={config.text} path={`${path}.text`} stepIndex={index}
      placeholder={comment ? 'Visible to agents only' : 'Hi {{$contact.firstName}}, …'} onChange={(text) => onChange({ text })} />
  );
}
