/// The sample site `pmcms demo` imports: a few pages of the fixture site, embedded in the binary.
public enum SampleSite {
    /// Each page's path relative to the site root (as a scraped folder would hold it) and bytes.
    public static let files: [(path: String, bytes: [UInt8])] = [
        ("faq/is-pmo-more-senior-than-project-manager.html", PackageResources.is_pmo_more_senior_than_project_manager_html),
        ("faq/am-i-qualified-to-be-a-project-manager.html", PackageResources.am_i_qualified_to_be_a_project_manager_html),
        ("faq/is-pmo-better-than-project-manager.html", PackageResources.is_pmo_better_than_project_manager_html),
        ("faq/can-pmo-become-a-project-manager.html", PackageResources.can_pmo_become_a_project_manager_html),
        ("faq/prince2-questions.html", PackageResources.prince2_questions_html),
        ("faq/agile-questions.html", PackageResources.agile_questions_html),
        ("articles/project-portfolio-management-tools.html", PackageResources.project_portfolio_management_tools_html),
        ("articles/what-is-prince2-agile.html", PackageResources.what_is_prince2_agile_html),
    ]
}
