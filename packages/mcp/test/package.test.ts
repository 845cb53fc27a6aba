import { describeCallSitePackage } from '../../../scripts/package-suite.mjs';

describeCallSitePackage('mcp');
