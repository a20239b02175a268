// Every PatternFly stylesheet LiteMaaS uses, imported once, in one fixed order, first
// thing in each lazily loaded root (the page and the entity cards). PatternFly's
// components import their own CSS; without this, the page's chunks and the cards' chunks
// import the same files in different orders, the production build warns "Conflicting
// order" for each, and a build with CI=true (which treats warnings as errors, as the
// Backstage CLI does in CI) fails. The base comes first, then the components, layouts
// and utilities in alphabetical order, as PatternFly's own patternfly.css orders them, and
// our own adjustments last (components/PatternFly/litemaas-pf.css, written so that they do
// not depend on this order). All of it comes with the page's first chunk (about 133 kB
// gzip); the screens that load later bring no stylesheet of their own.
// A component whose stylesheet is missing here brings the warning back (the test command
// builds the app with CI=true, so it fails): add its CSS. The plugin's package.json lists
// this module under `sideEffects`, or the bundler would drop an import that binds nothing.
import '@patternfly/react-core/dist/styles/base-no-reset.css';
import '@patternfly/react-styles/css/components/ActionList/action-list.css';
import '@patternfly/react-styles/css/components/Alert/alert-group.css';
import '@patternfly/react-styles/css/components/Alert/alert.css';
import '@patternfly/react-styles/css/components/Backdrop/backdrop.css';
import '@patternfly/react-styles/css/components/Badge/badge.css';
import '@patternfly/react-styles/css/components/Breadcrumb/breadcrumb.css';
import '@patternfly/react-styles/css/components/Button/button.css';
import '@patternfly/react-styles/css/components/Card/card.css';
import '@patternfly/react-styles/css/components/Check/check.css';
import '@patternfly/react-styles/css/components/ClipboardCopy/clipboard-copy.css';
import '@patternfly/react-styles/css/components/CodeBlock/code-block.css';
import '@patternfly/react-styles/css/components/Content/content.css';
import '@patternfly/react-styles/css/components/DescriptionList/description-list.css';
import '@patternfly/react-styles/css/components/Divider/divider.css';
import '@patternfly/react-styles/css/components/EmptyState/empty-state.css';
import '@patternfly/react-styles/css/components/Form/form.css';
import '@patternfly/react-styles/css/components/FormControl/form-control.css';
import '@patternfly/react-styles/css/components/HelperText/helper-text.css';
import '@patternfly/react-styles/css/components/Icon/icon.css';
import '@patternfly/react-styles/css/components/InlineEdit/inline-edit.css';
import '@patternfly/react-styles/css/components/InputGroup/input-group.css';
import '@patternfly/react-styles/css/components/Label/label-group.css';
import '@patternfly/react-styles/css/components/Label/label.css';
import '@patternfly/react-styles/css/components/List/list.css';
import '@patternfly/react-styles/css/components/Menu/menu.css';
import '@patternfly/react-styles/css/components/MenuToggle/menu-toggle.css';
import '@patternfly/react-styles/css/components/ModalBox/modal-box.css';
import '@patternfly/react-styles/css/components/Nav/nav.css';
import '@patternfly/react-styles/css/components/Page/page.css';
import '@patternfly/react-styles/css/components/Panel/panel.css';
import '@patternfly/react-styles/css/components/Popover/popover.css';
import '@patternfly/react-styles/css/components/Popper/Popper.css';
import '@patternfly/react-styles/css/components/Progress/progress.css';
import '@patternfly/react-styles/css/components/Radio/radio.css';
import '@patternfly/react-styles/css/components/Spinner/spinner.css';
import '@patternfly/react-styles/css/components/TabContent/tab-content.css';
import '@patternfly/react-styles/css/components/Table/table-grid.css';
import '@patternfly/react-styles/css/components/Table/table-scrollable.css';
import '@patternfly/react-styles/css/components/Table/table-tree-view.css';
import '@patternfly/react-styles/css/components/Table/table.css';
import '@patternfly/react-styles/css/components/Tabs/tabs.css';
import '@patternfly/react-styles/css/components/TextInputGroup/text-input-group.css';
import '@patternfly/react-styles/css/components/Title/title.css';
import '@patternfly/react-styles/css/components/ToggleGroup/toggle-group.css';
import '@patternfly/react-styles/css/components/Toolbar/toolbar.css';
import '@patternfly/react-styles/css/components/Tooltip/tooltip.css';
import '@patternfly/react-styles/css/components/Truncate/truncate.css';
import '@patternfly/react-styles/css/components/Wizard/wizard.css';
import '@patternfly/react-styles/css/layouts/Bullseye/bullseye.css';
import '@patternfly/react-styles/css/layouts/Flex/flex.css';
import '@patternfly/react-styles/css/layouts/Gallery/gallery.css';
import '@patternfly/react-styles/css/layouts/Grid/grid.css';
import '@patternfly/react-styles/css/utilities/Accessibility/accessibility.css';
import './litemaas-pf.css';
