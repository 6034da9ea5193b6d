import { describe, expect, it } from 'vitest';
import { changedBeforeFailedStep } from './rerun-saved';

// What "unchanged before the failed step" means: the steps that may have run before it (all
// before it, and those after it that lead back to it) keep their place, id, type and settings.

const send = (id: string, text = id) => ({ id, type: 'send_message', config: { text } });
const http = (id: string, url = 'https://crm.example/v1') => ({ id, type: 'http_request', config: { method: 'POST', url } });
const jumpTo = (id: string, stepId: string) => ({ id, type: 'jump_to', config: { stepId } });
const ran = [send('shipped'), http('crm'), send('thanks')];

describe('changedBeforeFailedStep (the run failed at step 2, “crm”)', () => {
  it.each<[string, unknown[], string[]]>([
    ['nothing changed', ran, []],
    ['the failed step was fixed', [send('shipped'), http('crm', 'https://crm.example/v2'), send('thanks')], []],
    ['a step after it was edited and one added', [send('shipped'), http('crm'), send('thanks', 'Thank you!'), send('bye')], []],
    ['settings keep their meaning whatever their key order', [{ config: { text: 'shipped' }, type: 'send_message', id: 'shipped' }, http('crm'), send('thanks')], []],
    ['a step before it was edited', [send('shipped', 'Shipped!'), http('crm'), send('thanks')], ['step 1 (“shipped”) was edited']],
    ['a step was added before it', [send('hello'), send('shipped'), http('crm'), send('thanks')],
      ['step 1 (“shipped”) is step 2 now', 'step 1 (“hello”) was added before the failed step', 'the failed step (“crm”) is step 3 now, not step 2']],
    ['the step before it was removed', [http('crm'), send('thanks')], ['step 1 (“shipped”) was removed', 'the failed step (“crm”) is step 1 now, not step 2']],
    ['the failed step was removed', [send('shipped'), send('thanks')], ['the failed step (“crm”) was removed']],
    ['a step was put in its place', [send('shipped'), send('sorry'), http('crm'), send('thanks')], ['the failed step (“crm”) is step 3 now, not step 2']],
  ])('%s', (_name, saved, expected) => {
    expect(changedBeforeFailedStep(ran, saved, 1)).toEqual(expected);
  });

  // A loop: "again" jumps back to step 1, so the failed run may have run it before failing, and
  // its variables may hold what it did.
  const loop = [send('shipped'), http('crm'), jumpTo('again', 'shipped'), send('thanks')];
  it.each<[string, unknown[], string[]]>([
    ['a step after it that leads back to it was edited', [send('shipped'), http('crm'), jumpTo('again', 'crm'), send('thanks')],
      ['step 3 (“again”, which can lead back to the failed step) was edited']],
    ['a step after it that does not lead back was edited', [send('shipped'), http('crm'), jumpTo('again', 'shipped'), send('thanks', 'Bye')], []],
  ])('%s', (_name, saved, expected) => {
    expect(changedBeforeFailedStep(loop, saved, 1)).toEqual(expected);
  });

  it('names three changes and counts the rest', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((id) => send(id));
    expect(changedBeforeFailedStep([...five, http('crm')], [...five.map((s) => send(s.id, 'new')), http('crm')], 5)).toEqual([
      'step 1 (“a”) was edited', 'step 2 (“b”) was edited', 'step 3 (“c”) was edited', '2 more changes',
    ]);
  });
});
