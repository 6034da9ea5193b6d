import { z } from 'zod';

export const ErrorDetail = z.object({
  path: z.string(),
  message: z.string(),
  // As HubSpot's "Existing ID" and respond.io's upsert by identifier: the client updates that one.
  contactId: z.string().optional().describe('A 409 `conflict` on `body.phone` or `body.email`: the contact that has it, to update (PATCH /contacts/{id}) instead of creating another'),
});
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
export type ErrorDetail = z.infer<typeof ErrorDetail>;
