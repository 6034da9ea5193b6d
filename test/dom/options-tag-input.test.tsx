import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { TagInput } from '../../components/options/TagInput';

// Tags are one tag whatever their case (lib/workflow/tags.ts): the trigger's and the step's tag
// lists do not take "VIP" beside "vip".

function Harness({ initial }: { initial: string[] }) {
  const [tags, setTags] = useState(initial);
  return <TagInput tags={tags} onChange={setTags} label="Tags" path="tags" />;
}

const chips = () => screen.getByRole('list', { name: 'Tags chosen' }).querySelectorAll('li');

describe('the tag list editor', () => {
  it('does not add a tag that is already there in another case', async () => {
    const user = userEvent.setup();
    render(<Harness initial={['vip']} />);
    await user.type(screen.getByLabelText('Tags'), 'VIP{Enter}');
    expect([...chips()].map((li) => li.firstChild?.textContent)).toEqual(['vip']);
    await user.type(screen.getByLabelText('Tags'), 'Gold{Enter}');
    expect([...chips()].map((li) => li.firstChild?.textContent)).toEqual(['vip', 'Gold']);
  });
});
