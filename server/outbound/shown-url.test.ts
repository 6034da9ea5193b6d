import { describe, expect, it } from 'vitest';
import { shownUrl, urlSecrets } from './shown-url';

describe('shownUrl', () => {
  it.each([
    ['https://api.example.com/v1/orders?page=2', 'https://api.example.com/v1/orders?page=2'],
    ['https://user:pw@api.example.com/x', 'https://***@api.example.com/x'],
    ['https://only-user@api.example.com', 'https://***@api.example.com'],
    ['https://u:p@ss@host/x?y=1', 'https://***@host/x?y=1'],
    ['https://host/x?api_key=abc&page=2', 'https://host/x?api_key=***&page=2'],
    ['https://host/x?access_token=abc#top', 'https://host/x?access_token=***#top'],
    ['https://host/x?apiKey=abc&key=def&sig=ghi&client_secret=jkl', 'https://host/x?apiKey=***&key=***&sig=***&client_secret=***'],
    ['https://host/x?monkey=1&author=ann&keyword=tea', 'https://host/x?monkey=1&author=ann&keyword=tea'],
    ['https://host/x?token=&flag', 'https://host/x?token=&flag'],
    ['https://host/a@b?q=1', 'https://host/a@b?q=1'],
    ['not a url user:pw@', 'not a url user:pw@'],
    // A URL that is itself the credential.
    ['https://api.telegram.org/bot123456:AAHsecret/sendMessage', 'https://api.telegram.org/bot***/sendMessage'],
    ['https://hooks.slack.com/services/T000/B000/SLACKPATHSECRET', 'https://hooks.slack.com/services/***'],
  ])('%s → %s', (url, shown) => {
    expect(shownUrl(url)).toBe(shown);
  });
});

describe('urlSecrets', () => {
  it('gives the user, password (as written and decoded), their Basic form and credential query values', () => {
    expect(urlSecrets('https://ops:p%40ss@host/x?token=t%2B1&page=2')).toEqual(
      ['ops', 'p%40ss', 'p@ss', Buffer.from('ops:p@ss').toString('base64'), 't%2B1', 't+1'],
    );
    expect(urlSecrets('https://host/x?page=2')).toEqual([]);
    expect(urlSecrets('https://hooks.slack.com/services/T000/B000/SLACKPATHSECRET')).toEqual(['T000/B000/SLACKPATHSECRET', 'T000', 'B000', 'SLACKPATHSECRET']);
  });
});
