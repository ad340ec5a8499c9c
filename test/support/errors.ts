import type { Response } from 'supertest';

/** The API's error shape with the given status and stable code, and a message for people. */
export function expectError(response: Response, status: number, code: string): void {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  expect(response.body).toEqual({
    statusCode: status,
    code,
    message: expect.stringMatching(/\S/),
    details: expect.any(Object),
  });
}
