import { expect } from 'chai';
import { parsePiCmdlinePath } from '../../../src/facts/pi-cmdline.js';
import { parsePiModel } from '../../../src/facts/pi-model.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: Raspberry Pi model and cmdline.txt', () => {
  it('reads NUL-terminated device-tree models', () => {
    expect(fixture('device-tree-model.pi4')).to.include('\0');
    expect(parsePiModel(fixture('device-tree-model.pi4'))).to.equal('Raspberry Pi 4 Model B Rev 1.4');
    expect(parsePiModel(fixture('device-tree-model.pi5'))).to.equal('Raspberry Pi 5 Model B Rev 1.0');
    expect(parsePiModel(fixture('device-tree-model.pi3bplus'))).to.equal('Raspberry Pi 3 Model B Plus Rev 1.3');
  });

  it('is not a Pi without a model, or with another board', () => {
    expect(parsePiModel('')).to.equal(undefined);
    expect(parsePiModel('Pine64 RockPro64 v2.1\0')).to.equal(undefined);
  });

  it('takes the cmdline path the probe found', () => {
    expect(parsePiCmdlinePath('/boot/firmware/cmdline.txt\n')).to.equal('/boot/firmware/cmdline.txt');
    expect(parsePiCmdlinePath('')).to.equal(undefined);
  });
});
