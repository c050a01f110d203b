import PMCMS
