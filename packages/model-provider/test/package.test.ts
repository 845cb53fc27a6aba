import { describeCallSitePackage } from '../../../scripts/package-suite.mjs';

describeCallSitePackage('model-provider');
