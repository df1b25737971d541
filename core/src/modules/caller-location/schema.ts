import { z } from 'zod';

const names = {
  province: z.string().nullable().meta({ example: '广东省' }),
  city: z.string().nullable().meta({ example: '广州市' }),
  carrier: z.string().nullable().meta({
    example: '中国移动',
    description: 'The carrier given the number range (号段运营商); numbers may be ported since',
  }),
};

/** {@link CallerLocation} for the API docs (IN-06). */
export const callerLocationSchema = z
  .object({
    ...names,
    en: z.object({
      province: z.string().nullable().meta({ example: 'Guangdong' }),
      city: z.string().nullable().meta({ example: 'Guangzhou' }),
      carrier: z.string().nullable().meta({ example: 'China Mobile' }),
    }),
    lineType: z.enum(['mobile', 'fixedLine']),
  })
  .meta({
    id: 'CallerLocation',
    description:
      "Where the customer's number is from (IN-06), looked up offline from the real number; null for numbers that are not Chinese mobile or fixed lines",
  });
