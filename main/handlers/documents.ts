import type { HandlerGroup } from './types.ts';

export const documentsHandlers: HandlerGroup<'documents.download' | 'documents.verify'> = {
  'documents.download': async (input, ctx) => ctx.documents.download(input.applicationId, input.documentId),
  'documents.verify': async (input, ctx) => ctx.documents.verify(input.applicationId, input.documentId),
};
