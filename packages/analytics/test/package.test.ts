import { describeCallSitePackage } from '../../../scripts/call-site-package.mjs';

describeCallSitePackage('analytics');
