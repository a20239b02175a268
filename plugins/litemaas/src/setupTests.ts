import '@testing-library/jest-dom';

// Page tests drive whole screens with user-event; on a busy 2-core machine they need
// more than Jest's default 5 s. This is a ceiling, not an expectation of speed.
jest.setTimeout(30_000);
