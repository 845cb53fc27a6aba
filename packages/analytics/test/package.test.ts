import { describeCallSitePackage } from '../../../scripts/package-suite.mjs';

describeCallSitePackage('analytics');
