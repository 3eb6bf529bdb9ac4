import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { describeWecomSenderContract } from './wecom-sender-contract.js';

describeWecomSenderContract('HttpWecomSender', ({ timeoutMs }) => new HttpWecomSender({ timeoutMs }));
