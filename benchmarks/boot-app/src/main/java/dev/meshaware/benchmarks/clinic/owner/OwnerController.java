package dev.meshaware.benchmarks.clinic.owner;

import dev.meshaware.benchmarks.clinic.directory.DirectoryClient;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * Finding, showing and registering owners. The search page is the one the benchmark asks for: a
 * query, the directory's notice fetched from another service, a rendered page.
 */
@Controller
class OwnerController {
  private final OwnerRepository owners;
  private final DirectoryClient directory;

  OwnerController(OwnerRepository owners, DirectoryClient directory) {
    this.owners = owners;
    this.directory = directory;
  }

  @GetMapping("/owners")
  String find(@RequestParam(defaultValue = "") @Size(max = 30) String lastName, Model model) {
    model.addAttribute("lastName", lastName);
    model.addAttribute(
        "owners",
        owners.findByLastNameStartingWithIgnoreCaseOrderByLastNameAscFirstNameAsc(lastName));
    model.addAttribute("notice", directory.notice());
    return "owners/list";
  }

  @GetMapping("/owners/{ownerId}")
  String show(@PathVariable int ownerId, Model model) {
    model.addAttribute(
        "owner", owners.findWithPetsById(ownerId).orElseThrow(OwnerController::notFound));
    return "owners/details";
  }

  @GetMapping("/owners/new")
  String form(Model model) {
    model.addAttribute("owner", new Owner());
    return "owners/form";
  }

  @PostMapping("/owners/new")
  String register(@Valid @ModelAttribute("owner") Owner owner, BindingResult result) {
    if (result.hasErrors()) {
      return "owners/form";
    }
    return "redirect:/owners/" + owners.save(owner).getId();
  }

  static ResponseStatusException notFound() {
    return new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
  }
}
