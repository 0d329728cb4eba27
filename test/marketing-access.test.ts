import { describe, expect, it } from 'vitest';
import { buildAppSchema } from '../src/app/schema.js';

const MODULE_FIELDS =
  /promotion|loyalty|membership|segment|customerProfile|customerRfm|CustomerAddress|recommendations|traffic|campaign|influencer|collaboration|adCampaign|adMetrics|adPerformance|brand|content|storefront/i;

describe('access declarations of the marketing, promotions, traffic and crm fields', () => {
  it('every Query and Mutation field declares @Allow or @Public, and ANALYST never writes', async () => {
    const schema = await buildAppSchema();
    const checked: string[] = [];
    for (const type of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(type.getFields())) {
        if (!MODULE_FIELDS.test(field.name)) continue;
        const access = (field.extensions as any)?.access as string[] | undefined;
        expect(access, `${type.name}.${field.name}`).toBeTruthy();
        if (type === schema.getMutationType()) expect(access, `${type.name}.${field.name}`).not.toContain('ANALYST');
        checked.push(field.name);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['createPromotion', 'adjustLoyaltyPoints', 'ingestTrafficEvents', 'segmentMembers', 'recommendationsForProduct', 'updateStorefront']));
  });
});
