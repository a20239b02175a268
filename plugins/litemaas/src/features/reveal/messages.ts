/** English messages of the one-time reveal page (`reveal.*`). */
export const revealMessages = {
  title: 'A new API key is waiting for you',
  intro:
    'A software template created the key for you. Its secret is kept for you to read once, and is gone from LiteMaaS after that.',
  reveal: 'Reveal the secret',
  revealing: 'Revealing…',
  loadingKey: 'Loading the key…',
  revealedTitle: 'The secret was shown',
  revealedBody:
    'It is not kept anywhere: this link no longer works. If the secret is lost, rotate the key.',
  goneTitle: 'Already revealed or expired',
  goneBody:
    'This link was used, expired, or is not for you. A secret can be read once only; if it is lost, rotate the key to get a new one.',
  toKeys: 'Go to my API keys',
} as const;
