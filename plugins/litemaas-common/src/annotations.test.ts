import { parseModelsAnnotation } from './annotations';

describe('parseModelsAnnotation', () => {
  it('splits, trims and drops what cannot be a model id', () => {
    expect(parseModelsAnnotation(undefined)).toEqual([]);
    expect(parseModelsAnnotation('')).toEqual([]);
    expect(
      parseModelsAnnotation(
        `gpt-4o,  meta-llama/Llama-3.3-70B-Instruct ,${'x'.repeat(
          256,
        )}, llama3.2:3b,gpt-4o,`,
      ),
    ).toEqual(['gpt-4o', 'meta-llama/Llama-3.3-70B-Instruct', 'llama3.2:3b']);
  });
});
