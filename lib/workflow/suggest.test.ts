import { describe, expect, it } from 'vitest';
import { closestNames } from './suggest';

const known = ['id', 'firstName', 'lastName', 'phone', 'email', 'tags', 'lifecycle', 'createdAt'];

describe('closestNames', () => {
  it.each<[string, string[]]>([
    ['firstname', ['firstName']],
    ['FIRST_NAME', ['firstName']],
    ['fistName', ['firstName']],
    ['emial', ['email']],
    ['tag', ['tags']],
    ['name', ['firstName', 'lastName']],
    ['phone_number', ['phone']],
    ['created', ['createdAt']],
    ['nickname', []],
    ['x', []],
    ['', []],
  ])('%j -> %j', (word, expected) => {
    expect(closestNames(word, known, (k) => k)).toEqual(expected);
  });
});
