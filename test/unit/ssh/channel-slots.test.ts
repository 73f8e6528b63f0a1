import { expect } from 'chai';
import { ChannelSlots } from '../../../src/ssh/channel-slots.js';

describe('channel slots', function () {
  it('lets at most `limit` holders in at once and hands slots on in order', async function () {
    const slots = new ChannelSlots(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await slots.acquire();
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        release();
        release(); // a second release must not free another slot
      }),
    );
    expect(peak).to.equal(2);
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5]);
  });

  it('refuses a limit below one', function () {
    expect(() => new ChannelSlots(0)).to.throw(TypeError);
  });
});
